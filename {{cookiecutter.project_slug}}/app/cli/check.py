"""`python -m app.cli check`: prove the models, migrations, schemas and routes agree.

Each check is a function that returns one sentence per problem, naming the model, column or
file and the command that fixes it. The inputs of each check default to the service's own
(its models, schemas, app and revision files), so tests can hand it small throwaway ones.

`check()` runs them in order and exits 1 when any found a problem. Model modules are looked
at first, before anything else imports them, to see exactly what Alembic's env.py sees.
"""

from sqlmodel import SQLModel

from app.cli.checks import plural
from app.cli.checks.data_loss import data_loss_problems
from app.cli.checks.migrations import head_problems, migration_problems
from app.cli.checks.registration import model_import_problems, unimported_model_tables
from app.cli.checks.routes import api_routes, route_problems, service_app
from app.cli.checks.schemas import schema_count, schema_problems, table_models
{%- if cookiecutter.multi_tenant == "yes" %}
from app.cli.checks.tenancy import tenancy_problems
{%- endif %}
from app.cli.revisions import revision_files


def check() -> int:
    """Run every check, print one line per problem (or one line saying what passed); 0 or 1.

    Model imports come first, while only `app.models` has imported them; the tables they miss
    are left out of the migration comparison, so each problem is reported once.
    """
    unimported = unimported_model_tables()  # first: nothing else may have imported a model yet
    problems = model_import_problems(unimported)
    problems += head_problems()
    problems += migration_problems(excluded_tables={table.table for table in unimported})
    problems += schema_problems()
    app = service_app()
    problems += route_problems(app)
{%- if cookiecutter.multi_tenant == "yes" %}
    problems += tenancy_problems(api_routes(app))
{%- endif %}
    revisions = revision_files()
    problems += data_loss_problems(revisions)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    models = table_models()
    print(
        f"check passed: {plural(len(SQLModel.metadata.tables), 'table')} and "
        f"{plural(len(revisions), 'revision')} agree (one head); "
        f"{plural(schema_count(models), 'schema')} match {plural(len(models), 'model')}; "
        f"{plural(len(api_routes(app)), 'route')} follow the conventions; "
{%- if cookiecutter.multi_tenant == "yes" %}
        "tenant data is reached only through a TenantRepository; "
{%- endif %}
        f"no unacknowledged data loss"
    )
    return 0
