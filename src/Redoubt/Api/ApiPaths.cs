namespace Redoubt.Api;

/// <summary>The routes of the local control-plane API, in one place for the server and the client.</summary>
public static class ApiPaths
{
    public const string Apply = "/v1/apply";
    public const string List = "/v1/redis";
    public const string ResourceTemplate = "/v1/redis/{ns}/{name}";
    public const string FailoverTemplate = ResourceTemplate + "/failover";
    public const string CredentialsTemplate = ResourceTemplate + "/credentials";
    public const string RestartTemplate = ResourceTemplate + "/restart";
    public const string RotatePasswordTemplate = ResourceTemplate + "/rotate-password";
    public const string BackupsTemplate = ResourceTemplate + "/backups";
    public const string RestoreTemplate = ResourceTemplate + "/restore";

    public static string Resource(string @namespace, string name) =>
        $"/v1/redis/{Uri.EscapeDataString(@namespace)}/{Uri.EscapeDataString(name)}";

    public static string Delete(string @namespace, string name, bool keepData) =>
        Resource(@namespace, name) + (keepData ? "?keepData=true" : "");

    public static string Failover(string @namespace, string name, string? target) =>
        Resource(@namespace, name) + "/failover" + (target is null ? "" : "?to=" + Uri.EscapeDataString(target));

    public static string Restart(string @namespace, string name) => Resource(@namespace, name) + "/restart";

    public static string RotatePassword(string @namespace, string name, TimeSpan grace) =>
        Resource(@namespace, name) + "/rotate-password?grace=" + Uri.EscapeDataString(Model.ResourceAnnotations.FormatGrace(grace));

    public static string Credentials(string @namespace, string name) => Resource(@namespace, name) + "/credentials";

    public static string Backups(string @namespace, string name, int? keep = null) =>
        Resource(@namespace, name) + "/backups" + (keep is { } count ? "?keep=" + count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

    public static string Restore(string @namespace, string name, string from) =>
        Resource(@namespace, name) + "/restore?from=" + Uri.EscapeDataString(from);
}
