namespace Redoubt.Web.Dashboard;

public enum AccessVerdict
{
    Allowed,
    /// <summary>No token, or the wrong one: 401.</summary>
    NoToken,
    /// <summary>A state-changing request without the page's header: 403.</summary>
    NotFromThePage,
}
