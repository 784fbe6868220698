"""`python -m toolkit check`: prove the models, migrations, schemas and routes agree.

Each check is a function that returns one sentence per problem, naming the model, column or
file and the command that fixes it. The inputs of each check default to the service's own
(its models, schemas, app and revision files), so tests can hand it small throwaway ones.

`check()` runs them in order and exits 1 when any found a problem.
"""

from sqlmodel import SQLModel

from toolkit.checks import counted
from toolkit.checks.data_loss import data_loss_problems
from toolkit.checks.dev_database import dev_database_problems
{%- if cookiecutter.graphql == "yes" %}
from toolkit.checks.graphql import graphql_problems
{%- endif %}
from toolkit.checks.migrations import head_problems, migration_problems
from toolkit.checks.routes import api_routes, route_problems, service_app
from toolkit.checks.schemas import schema_count, schema_problems, table_models
{%- if cookiecutter.multi_tenant == "yes" %}
from toolkit.checks.tenancy import tenancy_problems
{%- endif %}
from toolkit.revisions import revision_files


def check() -> int:
    """Run every check, print one line per problem (or one line saying what passed); 0 or 1."""
    problems = head_problems()
    problems += migration_problems()
    problems += schema_problems()
{%- if cookiecutter.graphql == "yes" %}
    problems += graphql_problems()
{%- endif %}
    app = service_app()
    problems += route_problems(app)
{%- if cookiecutter.multi_tenant == "yes" %}
    problems += tenancy_problems(api_routes(app))
{%- endif %}
    revisions = revision_files()
    problems += data_loss_problems(revisions)
    problems += dev_database_problems()
    for problem in problems:
        print(problem)
    if problems:
        return 1
    models = table_models()
    print(
        f"check passed: {counted(len(SQLModel.metadata.tables), 'table')} and "
        f"{counted(len(revisions), 'revision')} agree (one head); "
        f"{counted(schema_count(models), 'schema')} match {counted(len(models), 'model')}; "
        f"{counted(len(api_routes(app)), 'route')} follow the conventions; "
{%- if cookiecutter.multi_tenant == "yes" %}
        "tenant data is reached only through a TenantRepository; "
{%- endif %}
        "no unacknowledged data loss; the dev database, where there is one, is at head"
    )
    return 0
