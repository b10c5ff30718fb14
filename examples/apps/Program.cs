// Runs one example app by name against a running resource, for a while, and prints what it saw:
//
//   ./redoubt credentials NAME -o json | dotnet run --project examples/apps -- APP [SECONDS]
//
// APP is cache, sessions, jobs, notifications, leaderboard or analytics; SECONDS defaults to 20 (Ctrl-C stops sooner).
// Run `./redoubt failover NAME` or kill the master meanwhile to see the app ride over it.
using System.Globalization;
using Redoubt.Examples.Analytics;
using Redoubt.Examples.Cache;
using Redoubt.Examples.Jobs;
using Redoubt.Examples.Leaderboard;
using Redoubt.Examples.Notifications;
using Redoubt.Examples.Sessions;
using Redoubt.Examples.Shared;

string[] apps = ["cache", "sessions", "jobs", "notifications", "leaderboard", "analytics"];
if (args.Length is < 1 or > 2 || !apps.Contains(args[0]))
{
    await Console.Error.WriteLineAsync($"usage: redoubt credentials NAME -o json | dotnet run --project examples/apps -- APP [SECONDS]\nAPP: one of {string.Join(", ", apps)}; got {(args.Length == 0 ? "nothing" : $"\"{args[0]}\"")}");
    return 2;
}

var seconds = 20;
if (args.Length == 2 && (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds is < 1 or > 86400))
{
    await Console.Error.WriteLineAsync($"SECONDS: must be a whole number from 1 to 86400, got \"{args[1]}\"");
    return 2;
}

if (!Console.IsInputRedirected)
{
    await Console.Error.WriteLineAsync("standard input: pipe `redoubt credentials NAME -o json` into this command (the password stays off the command line)");
    return 2;
}

ExampleCredentials credentials;
try
{
    credentials = ExampleCredentials.Parse(await Console.In.ReadToEndAsync());
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(10));
await using var connection = await credentials.ConnectAsync(connect.Token);
connection.MasterFollowed += (_, e) => Console.WriteLine($"followed the new master {e.Master} ({e.Trigger}, {e.Took.TotalMilliseconds:F0} ms)");
Console.WriteLine($"{args[0]} on {credentials.Name} (master {connection.CurrentMaster?.ToString() ?? "unknown yet"}) for {seconds} s");

var db = connection.GetDatabase();
AppRun run;
switch (args[0])
{
    case "cache":
        run = await new ProductCache(db, TimeSpan.FromMinutes(10)).RunAsync(stop.Token);
        break;
    case "sessions":
        run = await new SessionStore(db, TimeSpan.FromMinutes(30)).RunAsync(stop.Token);
        break;
    case "jobs":
        run = await new JobQueue(db).RunAsync(stop.Token);
        break;
    case "notifications":
        // The subscriber is another service in real life: a connection of its own.
        await using (var subscriberConnection = await credentials.ConnectAsync(connect.Token))
        {
            using var notifications = new OrderNotifications(connection.Multiplexer, subscriberConnection.Multiplexer);
            run = await notifications.RunAsync(stop.Token);
        }

        break;
    case "leaderboard":
        run = await new Leaderboard(db, "leaderboard:season-1").RunAsync(stop.Token);
        break;
    default:
        run = await new PageAnalytics(db).RunAsync(stop.Token);
        break;
}

Console.WriteLine(run);
return 0;
