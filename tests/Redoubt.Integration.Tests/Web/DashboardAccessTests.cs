using Redoubt.Web;
using Redoubt.Web.Dashboard;

namespace Redoubt.Integration.Tests.Web;

public sealed class DashboardAccessTests
{
    private static readonly WebToken Token = WebToken.Ephemeral();

    // "T" stands for the token, so the test's name never shows it.
    [Theory]
    [InlineData("GET", null, null, null, AccessVerdict.NoToken)]
    [InlineData("GET", "wrong", null, null, AccessVerdict.NoToken)]
    [InlineData("GET", null, "Bearer wrong", null, AccessVerdict.NoToken)]
    [InlineData("GET", null, "Basic T", null, AccessVerdict.NoToken)]
    [InlineData("GET", null, "bearer T", null, AccessVerdict.Allowed)]
    [InlineData("GET", "T", null, null, AccessVerdict.Allowed)]
    [InlineData("GET", null, "Bearer T", null, AccessVerdict.Allowed)]
    [InlineData("POST", null, null, "dashboard", AccessVerdict.NoToken)]
    [InlineData("POST", "T", null, null, AccessVerdict.NotFromThePage)]
    [InlineData("POST", null, "Bearer T", "", AccessVerdict.NotFromThePage)]
    [InlineData("POST", "T", null, "dashboard", AccessVerdict.Allowed)]
    [InlineData("POST", "wrong", "Bearer T", "dashboard", AccessVerdict.Allowed)]
    public void ReadsNeedTheTokenAndActionsAlsoThePagesHeader(string method, string? cookie, string? authorization, string? actionHeader, AccessVerdict expected) =>
        Assert.Equal(expected, DashboardAccess.Judge(Token, method, cookie?.Replace("T", Token.Value, StringComparison.Ordinal),
            authorization?.Replace(" T", " " + Token.Value, StringComparison.Ordinal), actionHeader));

    [Fact]
    public void TheCookieIsHttpOnlyAndStrictlySameSite()
    {
        var options = DashboardAccess.CookieOptions(secure: false);
        Assert.True(options.HttpOnly);
        Assert.Equal(Microsoft.AspNetCore.Http.SameSiteMode.Strict, options.SameSite);
        Assert.Equal("/", options.Path);
    }
}
