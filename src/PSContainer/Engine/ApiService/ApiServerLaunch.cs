namespace PSContainer.Engine.ApiService;

/// <summary>How to start an API server: its socket, an optional TCP address, the socket's group and the idle timeout.</summary>
internal sealed record ApiServerLaunch(string? Socket, string? Listen, string? Group, TimeSpan? IdleTimeout);
