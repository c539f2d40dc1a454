using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Fangkong.Web.Pages;

/// <summary>
/// A request no handler of the page answers (a POST to a page that only shows, a handler name that does
/// not exist) gets 405 or 404 with the error page, instead of a page rendered without its data.
/// </summary>
public sealed class UnmatchedHandlerFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerMethod is null)
        {
            var request = context.HttpContext.Request;
            var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
            var named = context.RouteData.Values.ContainsKey("handler") || request.Query.ContainsKey("handler");
            var hasHandlers = context.ActionDescriptor.HandlerMethods.Count > 0;
            if (hasHandlers && (!reads || named))
            {
                context.Result = new StatusCodeResult(reads ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed);
                return;
            }
        }
        await next();
    }
}
