using System.Globalization;
using Redoubt.Core.Access;
using Redoubt.Core.Planning;

namespace Redoubt.Core.Reconcile;

/// <summary>What a rotation of the application password tells the events: when it starts, when the old password goes, and a request that cannot be carried out. Never a password.</summary>
public static class RotationEvents
{
    public static IEnumerable<(string Reason, string Message)> Between(ResourceSecrets before, ResourceSecrets after)
    {
        if (after.Application is not null && before.Application is not null && after.Application != before.Application && after.RotationRequest != before.RotationRequest)
        {
            yield return ("PasswordRotated", after.Retiring is { } retiring && retiring.Password == before.Application
                ? $"new application password (request {after.RotationRequest}); the old one is accepted until {Time(retiring.Until)}"
                : $"new application password (request {after.RotationRequest}); the old one is no longer accepted");
        }
        else if (before.Retiring is { } old && after.Retiring?.Password != old.Password && after.Application == before.Application)
        {
            yield return ("OldPasswordRetired", "the application password of before the last rotation is no longer accepted: its grace period ended");
        }
    }

    /// <summary>Why the resource's rotation request is not carried out, or null.</summary>
    public static string? Refusal(ResourcePlan plan, ResourceSecrets secrets) =>
        plan.PasswordRotationError is { } error
            ? $"{error}; the application password is not rotated until it is fixed"
            : plan.PasswordRotation is { } request && secrets.Application is null && request.Mark != secrets.RotationRequest
                ? "the resource asks for a new application password, but authEnabled is false: there is none to rotate"
                : null;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
