using System.Management.Automation;
using System.Reflection;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Writes a container process's stderr lines as PowerShell 7 writes a native command's: to the error
/// stream, where they show, merge with 2>&amp;1 and redirect with 2>, but never by themselves stop a script
/// under $ErrorActionPreference = 'Stop' (the exit code is what fails a command). -ErrorAction
/// SilentlyContinue or Ignore, and -ErrorVariable, still work as for any error. Only the runtime's own
/// writer marks a record as native stderr, so it is reached by reflection; should a future PowerShell
/// lose it, the lines fall back to ordinary errors.
/// </summary>
internal static class StandardError
{
    private static readonly MethodInfo? WriteNative = typeof(PSObject).Assembly
        .GetType("System.Management.Automation.MshCommandRuntime")
        ?.GetMethod("_WriteErrorSkipAllowCheck", BindingFlags.Instance | BindingFlags.NonPublic, null,
            [typeof(ErrorRecord), typeof(ActionPreference?), typeof(bool)], null);

    /// <summary>Writes one stderr line of the container (or command) <paramref name="target"/>.</summary>
    public static void Write(PSCmdlet cmdlet, string line, object target)
    {
        var record = new ErrorRecord(new RemoteException(line), "ContainerStandardError", ErrorCategory.FromStdErr, target);
        var stops = Preference(cmdlet) is ActionPreference.Stop or ActionPreference.Inquire;
        if (stops && WriteNative is not null && WriteNative.DeclaringType!.IsInstanceOfType(cmdlet.CommandRuntime))
            WriteNative.Invoke(cmdlet.CommandRuntime, [record, null, true]);
        else
            cmdlet.WriteError(record);
    }

    // What WriteError would do with the record: -ErrorAction if given, else the caller's $ErrorActionPreference.
    private static ActionPreference Preference(PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound) && bound is ActionPreference explicitly)
            return explicitly;
        return LanguagePrimitives.TryConvertTo<ActionPreference>(cmdlet.GetVariableValue("ErrorActionPreference"), out var preference)
            ? preference : ActionPreference.Continue;
    }
}
