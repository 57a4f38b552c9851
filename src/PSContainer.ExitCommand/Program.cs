using PSContainer.Engine;
using PSContainer.Engine.Interop;

// conmon runs this when a container's process ends: the engine records the exit, releases the rootfs
// mount and the runtime state, and removes an -AutoRemove container, without waiting for the next cmdlet;
// when the restart policy starts the container again, this process waits out the back-off and starts it.
// Arguments: <root> <run root> <container id>.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: pscontainer-exit <root> <run root> <container id>");
    return 2;
}
Libc.UnblockAllSignals();
try
{
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
