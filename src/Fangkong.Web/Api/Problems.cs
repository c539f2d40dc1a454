using Microsoft.AspNetCore.Http;

namespace Fangkong.Web.Api;

/// <summary>The API's errors as RFC 9457 problem details (application/problem+json), each naming the reason.</summary>
public static class Problems
{
    public static IResult Unauthorized() =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "sign in or send 'Authorization: Bearer <token>'");

    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} was not found in your jurisdiction");

    public static IResult Invalid(string field, string reason) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid input", detail: $"{field}: {reason}",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Refused", detail: detail);
}
