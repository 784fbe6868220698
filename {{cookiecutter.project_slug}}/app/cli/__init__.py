"""Commands the service needs in production too (`python -m app.cli`); the development
toolkit (check, migration, add-resource) is `python -m toolkit`."""
