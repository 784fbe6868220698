"""The GraphQL API at /api/graphql/: the resources, read, beside the REST API that writes them.

Every module of `app.graphql.resources` holds one resource's GraphQL type and its `Query`
fields; the schema merges them all, so a new resource needs no registration (as app/routers/
does for REST). Resolvers read through the resources' repositories, made as their REST routes
make them, so the same sign-in and scope apply.
"""
