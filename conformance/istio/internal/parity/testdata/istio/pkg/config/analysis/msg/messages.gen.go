package msg

var (
	ReferencedResourceNotFound                = diag.NewMessageType(diag.Error, "IST0101", "Referenced %s not found: %q")
	ConflictingMeshGatewayVirtualServiceHosts = diag.NewMessageType(diag.Error, "IST0109", "x")
)
