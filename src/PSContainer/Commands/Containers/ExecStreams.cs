using System.Management.Automation;

namespace PSContainer.Commands.Containers;

/// <summary>The stdin and stdout of the cmdlets that run container commands: pipeline input, -InputFile and -OutFile.</summary>
internal static class ExecStreams
{
    /// <summary>
    /// Adds one piped object to <paramref name="stdin"/>: a byte[], a byte, or an array of bytes (as
    /// Get-Content -AsByteStream -ReadCount writes) as they are; anything else as one line of UTF-8 text.
    /// </summary>
    public static void Append(MemoryStream stdin, object value)
    {
        switch (value is PSObject wrapped ? wrapped.BaseObject : value)
        {
            case byte[] bytes:
                stdin.Write(bytes);
                break;
            case byte single:
                stdin.WriteByte(single);
                break;
            case object[] items when items.Length > 0 && items.All(i => (i is PSObject p ? p.BaseObject : i) is byte):
                foreach (var item in items) stdin.WriteByte((byte)(item is PSObject p ? p.BaseObject : item));
                break;
            case var other:
                stdin.Write(global::System.Text.Encoding.UTF8.GetBytes((LanguagePrimitives.ConvertTo<string>(other) ?? "") + "\n"));
                break;
        }
    }

    /// <summary>Opens -InputFile (a PowerShell path), or stops the command with ReadError.</summary>
    public static FileStream OpenInput(PSCmdlet cmdlet, string path)
    {
        var full = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "InputFileUnreadable", ErrorCategory.ReadError, full));
            throw;
        }
    }

    /// <summary>Creates (or truncates) -OutFile (a PowerShell path), or stops the command with WriteError.</summary>
    public static FileStream CreateOutput(PSCmdlet cmdlet, string path)
    {
        var full = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            return new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "OutFileUnwritable", ErrorCategory.WriteError, full));
            throw;
        }
    }
}
