namespace PSContainer.Engine.Containers;

/// <summary>
/// A container's healthcheck as resolved at creation from the image's HEALTHCHECK and the -Health*
/// parameters. <see cref="Test"/> is Docker's form: ["CMD-SHELL", "cmd"], ["CMD", "prog", "arg"…] or ["NONE"].
/// </summary>
internal sealed class HealthConfig
{
    /// <summary>Docker's defaults.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);
    public const int DefaultRetries = 3;

    /// <summary>The probe, in Docker's form.</summary>
    public List<string> Test { get; set; } = new();
    public TimeSpan? Interval { get; set; }
    public TimeSpan? Timeout { get; set; }
    public TimeSpan? StartPeriod { get; set; }
    public TimeSpan? StartInterval { get; set; }
    public int? Retries { get; set; }

    /// <summary>What an unhealthy container gets: "none" (the default), "kill", "restart" or "stop" (Podman's actions).</summary>
    public string? OnFailure { get; set; }

    /// <summary>Whether there is a probe to run (["NONE"] switches the image's off).</summary>
    public bool Enabled => Test.Count > 0 && Test[0] != "NONE" && Command.Count > 0;

    /// <summary>The process to run: CMD-SHELL goes through /bin/sh -c, as in Docker.</summary>
    public List<string> Command => Test.Count == 0 ? []
        : Test[0] == "CMD-SHELL" ? ["/bin/sh", "-c", string.Join(' ', Test.Skip(1))]
        : Test[0] == "CMD" ? Test.Skip(1).ToList()
        : [];

    public TimeSpan EffectiveInterval => Interval is { } i && i > TimeSpan.Zero ? i : DefaultInterval;
    public TimeSpan EffectiveTimeout => Timeout is { } t && t > TimeSpan.Zero ? t : DefaultTimeout;
    public TimeSpan EffectiveStartPeriod => StartPeriod ?? TimeSpan.Zero;
    public TimeSpan EffectiveStartInterval => StartInterval is { } s && s > TimeSpan.Zero ? s : DefaultStartInterval;
    public int EffectiveRetries => Retries is { } r && r > 0 ? r : DefaultRetries;

    /// <summary>The action on unhealthy, parsed.</summary>
    public HealthFailureAction Action => OnFailure?.ToLowerInvariant() switch
    {
        "kill" => HealthFailureAction.Kill,
        "restart" => HealthFailureAction.Restart,
        "stop" => HealthFailureAction.Stop,
        _ => HealthFailureAction.None,
    };

    /// <summary>
    /// The healthcheck a container gets: the image's, with each field the user gave replacing the image's
    /// (as docker run's --health-* flags do); null when there is none or it is switched off.
    /// A user's timing without a command applies to the image's command.
    /// </summary>
    public static HealthConfig? Resolve(HealthConfig? image, HealthConfig? user)
    {
        // -NoHealthcheck is Docker's ["NONE"].
        if (user?.Test is ["NONE", ..]) return null;
        if (image is null && user is null) return null;
        var merged = new HealthConfig
        {
            Test = user?.Test is { Count: > 0 } test ? test : image?.Test ?? new(),
            Interval = user?.Interval ?? image?.Interval,
            Timeout = user?.Timeout ?? image?.Timeout,
            StartPeriod = user?.StartPeriod ?? image?.StartPeriod,
            StartInterval = user?.StartInterval ?? image?.StartInterval,
            Retries = user?.Retries ?? image?.Retries,
            OnFailure = user?.OnFailure,
        };
        return merged.Enabled ? merged : null;
    }

    /// <summary>An image's HEALTHCHECK in the engine's form; null when it has none.</summary>
    public static HealthConfig? FromImage(Oci.OciHealthcheck? image)
    {
        if (image?.Test is not { Count: > 0 } test) return null;
        static TimeSpan? Duration(long? nanoseconds) => nanoseconds is > 0 ? TimeSpan.FromTicks(nanoseconds.Value / 100) : null;
        return new HealthConfig
        {
            Test = test,
            Interval = Duration(image.Interval),
            Timeout = Duration(image.Timeout),
            StartPeriod = Duration(image.StartPeriod),
            StartInterval = Duration(image.StartInterval),
            Retries = image.Retries is > 0 ? image.Retries : null,
        };
    }

    /// <summary>Checks the values a user gave.</summary>
    public void Validate()
    {
        if (Test is ["NONE", ..] && (Test.Count > 1 || Interval is not null || Timeout is not null || StartPeriod is not null || StartInterval is not null || Retries is not null || OnFailure is not null))
            throw new EngineException("HealthcheckConflict", EngineErrorKind.InvalidArgument, "-NoHealthcheck conflicts with the other -Health* parameters.", null);
        if (Test.Count > 0 && Test[0] is not ("CMD" or "CMD-SHELL" or "NONE"))
            throw new EngineException("InvalidHealthcheck", EngineErrorKind.InvalidArgument, $"Healthcheck test '{Test[0]}' is not CMD, CMD-SHELL or NONE.", Test[0]);
        if (Test.Count > 0 && Test[0] != "NONE" && (Command.Count == 0 || Command[^1].Length == 0))
            throw new EngineException("InvalidHealthcheck", EngineErrorKind.InvalidArgument, "The healthcheck has no command.", null);
        foreach (var (name, value) in new[] { ("HealthInterval", Interval), ("HealthTimeout", Timeout), ("HealthStartInterval", StartInterval) })
            if (value is { } v && v != TimeSpan.Zero && v < TimeSpan.FromMilliseconds(1))
                throw new EngineException("InvalidHealthcheck", EngineErrorKind.InvalidArgument, $"{name} must be at least 1ms.", v);
        if (StartPeriod is { } p && p < TimeSpan.Zero)
            throw new EngineException("InvalidHealthcheck", EngineErrorKind.InvalidArgument, "HealthStartPeriod must not be negative.", p);
        if (Retries is { } r && r < 0)
            throw new EngineException("InvalidHealthcheck", EngineErrorKind.InvalidArgument, "HealthRetries must not be negative.", r);
        if (OnFailure is { } action && action.ToLowerInvariant() is not ("none" or "kill" or "restart" or "stop"))
            throw new EngineException("InvalidHealthcheck", EngineErrorKind.InvalidArgument, $"HealthOnFailure '{action}' is not none, kill, restart or stop.", action);
    }
}

/// <summary>What happens to a container that becomes unhealthy.</summary>
internal enum HealthFailureAction
{
    None,
    Kill,
    Restart,
    Stop,
}
