namespace PSContainer.Engine.Diagnostics;

/// <summary>One prerequisite Test-ContainerEngine checked.</summary>
public sealed record EngineCheck(string Name, bool Passed, string Detail);
