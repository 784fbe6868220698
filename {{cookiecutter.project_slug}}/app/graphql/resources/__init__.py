"""One module per resource (written by `add-resource`): its GraphQL type, its `Query` fields,
and `REPOSITORY`, the repository its resolvers read through."""
