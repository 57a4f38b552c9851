using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;

// conmon runs this when a container's process ends: the engine records the exit, releases the rootfs
// mount and the runtime state, and removes an -AutoRemove container, without waiting for the next cmdlet;
// when the restart policy starts the container again, this process waits out the back-off and starts it.
// Arguments: <root> <run root> <container id>.
// The engine also runs it as the store's health monitor: --health-monitor <root> <run root>.
var monitor = args.Length == 3 && args[0] == ExitCommand.HealthMonitorSwitch;
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: pscontainer-exit <root> <run root> <container id> | --health-monitor <root> <run root>");
    return 2;
}
Libc.UnblockAllSignals();
try
{
    if (monitor)
    {
        var store = ContainerEngine.Open(new EngineOptions(args[1], args[2], null));
        return HealthMonitor.Run(store.Layout, store.Containers, store.Exec);
    }
    var engine = ContainerEngine.Open(new EngineOptions(args[0], args[1], null));
    engine.Containers.Refresh(args[2]);
    engine.Containers.RestartWhenDue(args[2]);
    return 0;
}
catch (EngineException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
