using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using PSContainer.Engine;

namespace PSContainer.Api;

/// <summary>
/// Turns failures into dockerd's error bodies, <c>{"message": …}</c>, with its status codes: 400 for a bad
/// request (malformed JSON included), 404 for a missing object, 409 for a conflict with the object's state
/// or name, 500 otherwise. A failure after a stream has begun can only end the connection.
/// </summary>
internal static class ErrorResponses
{
    public static async Task Handle(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex)
        {
            var (status, message) = Describe(ex);
            if (status >= 500) logger.LogError(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted || context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } && context.Response.StatusCode == 101)
            {
                context.Abort();
                return;
            }
            await Write(context, status, message);
        }
    }

    public static async Task Write(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { message }, Json.Options) + "\n");
    }

    public static (int Status, string Message) Describe(Exception ex) => ex switch
    {
        ApiException api => (api.Status, api.Message),
        EngineException engine => (engine.Kind switch
        {
            EngineErrorKind.NotFound => StatusCodes.Status404NotFound,
            EngineErrorKind.AlreadyExists or EngineErrorKind.InvalidState => StatusCodes.Status409Conflict,
            EngineErrorKind.InvalidArgument or EngineErrorKind.InvalidData => StatusCodes.Status400BadRequest,
            EngineErrorKind.PermissionDenied => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status500InternalServerError,
        }, engine.Message),
        JsonException json => (StatusCodes.Status400BadRequest, "invalid JSON: " + json.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        _ => (StatusCodes.Status500InternalServerError, ex.Message),
    };
}
