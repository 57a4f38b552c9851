namespace PSContainer.Engine;

/// <summary>What kind of failure an <see cref="EngineException"/> is; the cmdlets map it to an ErrorCategory.</summary>
public enum EngineErrorKind
{
    /// <summary>An argument is malformed or out of range.</summary>
    InvalidArgument,
    /// <summary>The named object does not exist.</summary>
    NotFound,
    /// <summary>An object with that name or id exists already.</summary>
    AlreadyExists,
    /// <summary>The object is in a state that forbids the operation.</summary>
    InvalidState,
    /// <summary>A prerequisite program or kernel feature is missing.</summary>
    NotInstalled,
    /// <summary>Content failed verification (digest, size, format).</summary>
    InvalidData,
    /// <summary>An external program (OCI runtime, conmon, registry) failed.</summary>
    ExternalFailure,
    /// <summary>Access was refused.</summary>
    PermissionDenied,
    /// <summary>The operation did not finish in time.</summary>
    Timeout,
}

/// <summary>A failure the engine explains to the user: a stable id, a kind, a message and the object it concerns.</summary>
public sealed class EngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineException(string errorId, EngineErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    /// <summary>A stable identifier, such as "ImageNotFound".</summary>
    public string ErrorId { get; }

    /// <summary>The kind of failure.</summary>
    public EngineErrorKind Kind { get; }

    /// <summary>The object the failure concerns, if any.</summary>
    public object? Target { get; }
}
