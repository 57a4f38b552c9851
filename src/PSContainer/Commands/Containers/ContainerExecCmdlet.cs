using System.Management.Automation;
using PSContainer.Engine.Containers;
using PSContainer.Transformations;

namespace PSContainer.Commands.Containers;

/// <summary>The parameters that describe a process to run in a running container, shared by Invoke-ContainerCommand and Enter-Container.</summary>
public abstract class ContainerExecCmdlet : EngineCmdlet
{
    /// <summary>The running container: its name, id or unique id prefix.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName")]
    [ValidateNotNullOrEmpty]
    [Alias("Container")]
    [ArgumentCompleter(typeof(Completers.ContainerNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The running container's id (or a unique prefix).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ById")]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>The running container, from Get-Container or New-Container.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "ByObject")]
    public ContainerInfo? InputObject { get; set; }

    /// <summary>The user: name, uid, user:group or uid:gid, looked up in the container's /etc/passwd and /etc/group. Default: the container's user.</summary>
    [Parameter]
    [Alias("u")]
    public string? User { get; set; }

    /// <summary>The working directory inside the container (absolute). Default: the container's.</summary>
    [Parameter]
    [Alias("WorkDir", "w")]
    public string? WorkingDirectory { get; set; }

    /// <summary>Environment variables added to the container's: "KEY=value" strings (a bare KEY takes this session's value) or a hashtable.</summary>
    [Parameter]
    [Alias("Env", "e")]
    [KeyValueTransformation]
    public string[]? Environment { get; set; }

    /// <summary>Give the process every capability.</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <summary>The container the parameters name: its name, id or id prefix.</summary>
    internal string Target => ParameterSetName switch
    {
        "ById" => Id,
        "ByObject" => InputObject?.Id ?? "",
        _ => Name,
    };

    /// <summary>The container's name for messages.</summary>
    internal string TargetName => InputObject?.Name ?? Target;

    /// <summary>Refuses a container command that PowerShell would take apart (see <see cref="ContainerCommandLine"/>).</summary>
    internal void CheckCommandLine(string commandParameter)
    {
        if (ContainerCommandLine.Check(this, commandParameter) is { } error) ThrowTerminatingError(error);
    }

    /// <summary>The exec request the parameters describe, for <paramref name="command"/>.</summary>
    internal ExecRequest Request(IEnumerable<string> command) => new()
    {
        Command = command.ToList(),
        User = User,
        WorkingDirectory = WorkingDirectory,
        Environment = (Environment ?? []).Select(ContainerCreationCmdlet.ExpandEnvironment).ToList(),
        Privileged = Privileged,
    };
}
