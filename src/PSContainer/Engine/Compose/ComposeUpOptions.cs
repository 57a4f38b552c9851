namespace PSContainer.Engine.Compose;

/// <summary>What Start-ComposeProject asks for beyond the model.</summary>
internal sealed class ComposeUpOptions
{
    /// <summary>Only these services (and what they depend on); empty: all.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>Build images before starting.</summary>
    public bool Build { get; init; }

    /// <summary>Pull images even when they are present.</summary>
    public bool Pull { get; init; }

    /// <summary>Recreate containers even when their configuration is unchanged.</summary>
    public bool ForceRecreate { get; init; }

    /// <summary>Keep existing containers even when their configuration changed.</summary>
    public bool NoRecreate { get; init; }

    /// <summary>Container counts per service, over the file's scale.</summary>
    public IReadOnlyDictionary<string, int> Scale { get; init; } = new Dictionary<string, int>();

    /// <summary>Remove containers of services no longer in the file.</summary>
    public bool RemoveOrphans { get; init; }

    /// <summary>Wait until every started container runs (and is healthy where it has a health check).</summary>
    public bool Wait { get; init; }
}

/// <summary>What Remove-ComposeProject removes beyond containers and networks.</summary>
internal sealed class ComposeDownOptions
{
    /// <summary>Also the project's named volumes and the containers' anonymous volumes.</summary>
    public bool Volumes { get; init; }

    /// <summary>Also the images the services use.</summary>
    public bool Images { get; init; }

    /// <summary>Also containers of services no longer in the file (always, when the file is not known).</summary>
    public bool RemoveOrphans { get; init; }
}
