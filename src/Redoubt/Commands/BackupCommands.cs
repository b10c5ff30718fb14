using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Redoubt.Core;
using Redoubt.Output;
using Redoubt.Terminal;

namespace Redoubt.Commands;

/// <summary>`backup` (take one now), `backups` (list them) and `restore` (put one back, or into a new resource).</summary>
public static class BackupCommands
{
    public static Command Backup()
    {
        var name = CommonOptions.Name();
        var @namespace = CommonOptions.Namespace();
        var keep = new Option<int?>("--keep") { Description = "Afterwards keep only the newest N backups of the resource [default: keep every one]", HelpName = "N" };
        var output = CommonOptions.Output("Output format; json is the backup's manifest, where it is, and any warning", "text", "json");
        var command = new Command("backup", "Take a backup now: a snapshot from an in-sync replica, checked before it counts") { name, @namespace, keep, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            if (parseResult.GetValue(keep) is < 1)
            {
                throw new RedoubtException($"--keep: must be at least 1, got {parseResult.GetValue(keep)}");
            }

            using var client = invocation.Connect();
            _ = await client.GetAsync(resourceNamespace, resourceName, cancellationToken) ?? throw NotFound.Resource(resourceNamespace, resourceName, invocation);
            var result = await client.BackupAsync(resourceNamespace, resourceName, parseResult.GetValue(keep), cancellationToken);
            if (parseResult.GetRequiredValue(output) == "json")
            {
                ConsoleText.WriteLine(JsonSerializer.Serialize(result, CommandJson.Indented));
                return ExitCodes.Success;
            }

            var backup = result.Backup;
            if (result.Warning is { } warning)
            {
                ConsoleText.WriteWarning($"warning: {warning}");
            }

            ConsoleText.WriteLine(
                $"redis {resourceNamespace}/{resourceName}: backup {backup.Id} taken from {backup.SourceNode} ({backup.SourceRole}): " +
                $"{backup.Keys.ToString(CultureInfo.InvariantCulture)} keys, {ByteSizes.Format(backup.SizeBytes)}, in {Durations.Milliseconds(backup.DurationMs)}");
            ConsoleText.WriteLine($"  kept at: {result.Location}");
            ConsoleText.WriteLine($"  sha256: {backup.Sha256}");
            if (result.Pruned.Count > 0)
            {
                ConsoleText.WriteLine($"  removed by --keep: {string.Join(", ", result.Pruned)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command List()
    {
        var name = CommonOptions.Name();
        var @namespace = CommonOptions.Namespace();
        var output = CommonOptions.Output("Output format", "table", "json");
        var command = new Command("backups", "List a resource's backups (they outlive the resource), oldest first") { name, @namespace, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            using var client = invocation.Connect();
            var backups = await client.ListBackupsAsync(resourceNamespace, resourceName, cancellationToken);
            if (parseResult.GetRequiredValue(output) == "json")
            {
                ConsoleText.WriteLine(JsonSerializer.Serialize(backups, CommandJson.Indented));
                return ExitCodes.Success;
            }

            if (backups.Count == 0)
            {
                ConsoleText.WriteNote($"redis {resourceNamespace}/{resourceName} has no backups: take one with `{invocation.Redoubt} backup {resourceName}`");
                return ExitCodes.Success;
            }

            var now = DateTimeOffset.Now;
            ConsoleText.Write(new TextTable(
                ["ID", "AGE", "SIZE", "KEYS", "SOURCE", "REDIS", "SHA256"],
                [.. backups.Select(b => (IReadOnlyList<string>)[
                    b.Id, Durations.Ago(b.Time, now), ByteSizes.Format(b.SizeBytes), b.Keys.ToString(CultureInfo.InvariantCulture),
                    $"{b.SourceNode} ({b.SourceRole})", b.RedisVersion ?? "?", b.Sha256[..12]])]).Render());
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Restore()
    {
        var name = new Argument<string>("NAME") { Description = "The Redis resource to restore into; one that does not exist is created with the backup's spec" };
        var @namespace = CommonOptions.Namespace();
        var from = new Option<string>("--from")
        {
            Description = "The backup: ID (one of NAME's), SOURCE/ID (one of another resource of the namespace) or NAMESPACE/SOURCE/ID",
            HelpName = "BACKUP",
            Required = true,
        };
        var yes = new Option<bool>("--yes") { Description = "Confirm that every key NAME holds now is replaced by the backup's (needed when NAME exists)" };
        var output = CommonOptions.Output("Output format", "text", "json");
        var command = new Command("restore", "Put a backup back: replace a resource's data with it, or create a new resource from it") { name, @namespace, from, yes, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = Invocation.From(parseResult);
            var (resourceNamespace, resourceName) = (parseResult.GetRequiredValue(@namespace), parseResult.GetRequiredValue(name));
            using var client = invocation.Connect();
            if (await client.GetAsync(resourceNamespace, resourceName, cancellationToken) is not null && !parseResult.GetValue(yes))
            {
                throw new RedoubtException(
                    $"redis {resourceNamespace}/{resourceName} exists: restoring replaces every key it holds now with the backup's. " +
                    "Add --yes to go ahead, or restore into a new name to keep both");
            }

            var result = await client.RestoreAsync(resourceNamespace, resourceName, parseResult.GetRequiredValue(from), cancellationToken);
            if (parseResult.GetRequiredValue(output) == "json")
            {
                ConsoleText.WriteLine(JsonSerializer.Serialize(result, CommandJson.Indented));
                return ExitCodes.Success;
            }

            ConsoleText.WriteLine(
                $"redis {result.Namespace}/{result.Name}{(result.Created ? " (created)" : "")}: backup {result.Backup} restored, " +
                $"{result.KeysRestored.ToString(CultureInfo.InvariantCulture)} of {result.KeysInBackup.ToString(CultureInfo.InvariantCulture)} keys in {Durations.Milliseconds(result.DurationMs)}");
            return result.KeysRestored == result.KeysInBackup ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
