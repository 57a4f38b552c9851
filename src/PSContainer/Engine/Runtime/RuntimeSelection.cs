namespace PSContainer.Engine.Runtime;

/// <summary>The OCI runtime the engine chose and why.</summary>
internal sealed record RuntimeSelection(string Name, string Path, string Reason);
