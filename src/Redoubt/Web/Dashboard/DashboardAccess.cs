using Microsoft.AspNetCore.Http;

namespace Redoubt.Web.Dashboard;

/// <summary>
/// Who may read the dashboard and who may act through it. Reads need the token, from the cookie `/?token=T` sets or
/// an <c>Authorization: Bearer</c> header. Actions (POST) also need <see cref="ActionHeader"/>: the page sends it, and a
/// form another site posts cannot (a custom header makes the browser ask first, and nothing here answers that).
/// </summary>
public static class DashboardAccess
{
    public const string CookieName = "redoubt-web";
    public const string ActionHeader = "X-Redoubt-Action";
    public const string TokenQuery = "token";

    public static AccessVerdict Judge(WebToken token, string method, string? cookie, string? authorization, string? actionHeader)
    {
        var bearer = authorization is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (!token.Matches(cookie) && !token.Matches(bearer))
        {
            return AccessVerdict.NoToken;
        }

        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && string.IsNullOrEmpty(actionHeader))
        {
            return AccessVerdict.NotFromThePage;
        }

        return AccessVerdict.Allowed;
    }

    public static AccessVerdict Judge(WebToken token, HttpRequest request) =>
        Judge(token, request.Method, request.Cookies[CookieName], request.Headers.Authorization, request.Headers[ActionHeader]);

    /// <summary>Where a user of the local control plane finds the token, for <see cref="Refusal"/>.</summary>
    public const string LocalTokenHelp =
        "open the address `redoubt serve` or `redoubt up` printed (it ends in ?token=...), "
        + $"or send Authorization: Bearer <token>; the token is in the file {WebToken.FileName} of the Redoubt home";

    /// <summary>The answer to a request refused; says what to do (<paramref name="tokenHelp"/>: where the token is), never what the token is.</summary>
    public static IResult Refusal(AccessVerdict verdict, string tokenHelp) => verdict switch
    {
        AccessVerdict.NoToken => Results.Text(
            $"401 the dashboard needs its token: {tokenHelp}\n",
            "text/plain", statusCode: StatusCodes.Status401Unauthorized),
        _ => Results.Text(
            $"403 actions need the {ActionHeader} header, which the dashboard page sends; a form posted from another site cannot\n",
            "text/plain", statusCode: StatusCodes.Status403Forbidden),
    };

    /// <summary>The cookie `/?token=T` sets: only this site's own requests carry it, and scripts cannot read it.</summary>
    public static CookieOptions CookieOptions(bool secure) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Secure = secure,
        IsEssential = true,
    };
}
