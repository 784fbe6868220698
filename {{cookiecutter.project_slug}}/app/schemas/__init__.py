"""Request and response bodies: `<Name>Create`, `<Name>Update`, `<Name>Public` per resource."""
