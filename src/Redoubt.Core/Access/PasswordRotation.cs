namespace Redoubt.Core.Access;

/// <summary>A request to rotate the application password: its mark (any text; a new mark is a new request) and its grace period.</summary>
public sealed record RotationRequest(string Mark, TimeSpan Grace);

/// <summary>
/// The application password as a platform stores it: the password, the last request carried out, and the password it
/// replaced while that one is still accepted. Every platform persists all three together, so a control plane
/// restarted during a grace period ends it at the same time.
/// </summary>
public sealed record StoredApplicationPassword(string Password, string? Handled, RetiringPassword? Retiring);

/// <summary>
/// Rotation of the application password without downtime, decided here for every platform. Pure: the stored state,
/// the resource's request and the time in, the state to store out. A new request makes a new password; the old one
/// stays accepted for the request's grace period (Redis users hold several passwords), then goes. A request made
/// while an earlier rotation's grace runs ends that grace at once: at most two passwords are ever accepted.
/// </summary>
public static class PasswordRotation
{
    /// <summary>Long enough for applications to pick up the new password from wherever they read it.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(10);

    /// <summary>The state of a password created just now: the request on the resource is already satisfied by it.</summary>
    public static StoredApplicationPassword Created(string password, RotationRequest? request) => new(password, request?.Mark, null);

    public static StoredApplicationPassword Next(StoredApplicationPassword stored, RotationRequest? request, DateTimeOffset now, Func<string> generate)
    {
        var password = stored.Password;
        // Stored before the new password was (a platform that writes in two steps and stopped between them): the
        // rotation is carried out now; nobody has the password it was going to make.
        if (stored.Retiring?.Password == password)
        {
            password = generate();
        }

        var retiring = stored.Retiring is { } old && old.Until > now && old.Password != password ? old : null;
        if (request is null || request.Mark == stored.Handled)
        {
            return stored with { Password = password, Retiring = retiring };
        }

        return new StoredApplicationPassword(generate(), request.Mark, request.Grace > TimeSpan.Zero ? new RetiringPassword(password, now + request.Grace) : null);
    }
}
