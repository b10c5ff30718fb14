using System.Diagnostics;
using Redoubt.Client;
using Redoubt.Core;
using Redoubt.Core.Access;
using Redoubt.Model;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

/// <summary>
/// <c>credentials NAME --rotate [--grace DURATION]</c>: asks for a new application password and waits until every node
/// and Sentinel accepts it, so that the password printed afterwards works at once. What is said about it goes to
/// stderr: stdout stays what <c>credentials</c> prints (the password, JSON) for scripts.
/// </summary>
internal static class PasswordRotationRequest
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>The grace period asked for, null without --rotate; a bad --grace, or --grace alone, is an error before anything is sent.</summary>
    public static TimeSpan? Read(bool rotate, string? grace)
    {
        if (grace is not null && !rotate)
        {
            throw new RedoubtException("--grace goes with --rotate: add --rotate to make a new password");
        }

        if (!rotate)
        {
            return null;
        }

        if (grace is null)
        {
            return PasswordRotation.DefaultGrace;
        }

        return ResourceAnnotations.TryParseGrace(grace, out var period)
            ? period
            : throw new RedoubtException($"--grace \"{grace}\": must be {ResourceAnnotations.GraceText}");
    }

    public static async Task RunAsync(ControlPlaneClient client, string @namespace, string name, TimeSpan grace, Invocation invocation, CancellationToken cancellationToken)
    {
        var label = $"redis {@namespace}/{name}";
        var request = await client.RotatePasswordAsync(@namespace, name, grace, cancellationToken)
            ?? throw NotFound.Resource(@namespace, name, invocation);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var rotation = (await client.GetAsync(@namespace, name, cancellationToken))?.Status?.PasswordRotation;
            if (rotation is { Applied: true } && rotation.Request == request)
            {
                ConsoleText.WriteNote(rotation.OldPasswordUntil is { } until
                    ? $"{label}: new password in place on every node and Sentinel after {Durations.Milliseconds(clock.Elapsed.TotalMilliseconds)}; the old one keeps working until {until.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({ResourceAnnotations.FormatGrace(grace)})"
                    : $"{label}: new password in place on every node and Sentinel after {Durations.Milliseconds(clock.Elapsed.TotalMilliseconds)}; the old one no longer works");
                return;
            }

            if (clock.Elapsed > Limit)
            {
                throw new RedoubtException($"{label}: the new password is not in place on every node within {Limit.TotalSeconds:F0} s; the rotation goes on, see `{invocation.Redoubt} describe {name}`");
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }
}
