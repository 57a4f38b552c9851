namespace PSContainer.Api;

/// <summary>A failure of the request itself, answered with <see cref="Status"/> and <c>{"message": …}</c>.</summary>
internal sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
    public static ApiException Conflict(string message) => new(StatusCodes.Status409Conflict, message);
    public static ApiException NotImplemented(string message) => new(StatusCodes.Status501NotImplemented, message);
}
