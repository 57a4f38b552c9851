namespace PSContainer.Engine.Diagnostics;

/// <summary>One prerequisite Test-ContainerEngine checked; an optional one (Required false) does not fail -Quiet.</summary>
public sealed record EngineCheck(string Name, bool Passed, string Detail, bool Required = true);
