namespace PSContainer.Engine.Containers;

/// <summary>
/// Watches typed input for the key sequence that detaches a terminal from a container (Docker's
/// <c>ctrl-p,ctrl-q</c>). Bytes that start the sequence are held back until the sequence either
/// completes (they are dropped) or breaks off (they are passed on), also across reads.
/// </summary>
internal sealed class DetachKeys
{
    /// <summary>Docker's default sequence.</summary>
    public const string Default = "ctrl-p,ctrl-q";

    private readonly byte[] _sequence;
    private int _matched;

    /// <summary>Watches for <paramref name="spec"/>, in Docker's notation.</summary>
    public DetachKeys(string spec = Default) => _sequence = Parse(spec);

    /// <summary>Parses Docker's notation: comma-separated keys, each <c>ctrl-&lt;key&gt;</c> or one character.</summary>
    public static byte[] Parse(string spec)
    {
        var keys = new List<byte>();
        foreach (var key in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            if (key.StartsWith("ctrl-", StringComparison.OrdinalIgnoreCase) && key.Length == 6)
            {
                // Control characters are the key's ASCII code with bit 6 cleared: ctrl-a = 1, ctrl-@ = 0, ctrl-_ = 31.
                var c = char.ToUpperInvariant(key[5]);
                if (c is < '@' or > '_')
                    throw new EngineException("InvalidDetachKeys", EngineErrorKind.InvalidArgument, $"'{key}' is not a control key (ctrl-a … ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_).", spec);
                keys.Add((byte)(c & 0x1f));
            }
            else if (key.Length == 1 && key[0] < 0x80)
            {
                keys.Add((byte)key[0]);
            }
            else
            {
                throw new EngineException("InvalidDetachKeys", EngineErrorKind.InvalidArgument, $"Detach key '{key}' is neither ctrl-<key> nor a single character.", spec);
            }
        }
        if (keys.Count == 0)
            throw new EngineException("InvalidDetachKeys", EngineErrorKind.InvalidArgument, "The detach key sequence is empty.", spec);
        return keys.ToArray();
    }

    /// <summary>Feeds typed bytes; returns what to pass on to the container and whether the sequence is complete.</summary>
    public (byte[] Forward, bool Detach) Feed(ReadOnlySpan<byte> input)
    {
        var forward = new List<byte>(input.Length);
        foreach (var b in input)
        {
            if (b == _sequence[_matched])
            {
                if (++_matched == _sequence.Length)
                {
                    _matched = 0;
                    return (forward.ToArray(), true);
                }
                continue;
            }
            forward.AddRange(_sequence.AsSpan(0, _matched));
            _matched = b == _sequence[0] ? 1 : 0;
            if (_matched == 0) forward.Add(b);
        }
        return (forward.ToArray(), false);
    }
}
