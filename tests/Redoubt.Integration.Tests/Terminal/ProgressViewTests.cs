using Redoubt.Model;
using Redoubt.Output;
using Redoubt.Terminal;
using Spectre.Console;

namespace Redoubt.Integration.Tests.Terminal;

public sealed class ProgressViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheLiveViewShowsEveryNodeAndSentinelWithItsZoneRoleAndStateThenTheWarnings()
    {
        var resource = Converging();
        var warning = new ResourceEvent(Now, "default", "shop", "Warning", "FailedOver", "master moved from redis-0 to redis-1 in 812 ms: master down");

        var text = Render(ProgressView.Build([resource], [warning], TimeZoneInfo.Utc));

        Assert.Contains("redis default/shop  phase Provisioning", text, StringComparison.Ordinal);
        Assert.Matches(@"redis-0\s+│?\s*master\s+│?\s*gland\s+│?\s*127\.1\.0\.1:6379\s+│?\s*ok", text);
        Assert.Matches(@"redis-1\s+│?\s*replica\s+│?\s*lucerne\s+│?\s*127\.1\.0\.2:6379\s+│?\s*syncing", text);
        Assert.Matches(@"sentinel-0\s+│?\s*sentinel\s+│?\s*geneve\s+│?\s*127\.1\.0\.3:26379\s+│?\s*down", text);
        Assert.Contains("Ready False: NotReady, converging", text, StringComparison.Ordinal);
        Assert.Contains("warning 2026-12-02 21:00:00 redis default/shop: FailedOver: master moved from redis-0 to redis-1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewResourceShowsThatItHasNoNodesYet()
    {
        var text = Render(ProgressView.Build([new RedisResource { Metadata = new ObjectMeta { Namespace = "default", Name = "shop" } }], [], TimeZoneInfo.Utc));

        Assert.Contains("phase Pending", text, StringComparison.Ordinal);
        Assert.Contains("(no nodes yet)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LinesForAPipeEndWithThePhaseAndCarryNoEscapeCodes()
    {
        var lines = ProgressView.Lines(Converging()).ToList();

        Assert.Equal("redis default/shop: redis-0 master gland 127.1.0.1:6379 ok", lines[0]);
        Assert.Equal("redis default/shop: sentinel-0 sentinel geneve 127.1.0.3:26379 down", lines[2]);
        Assert.Equal("redis default/shop: phase Provisioning", lines[^1]);
        Assert.DoesNotContain(lines, line => line.Contains('\u001b'));
    }

    private static string Render(Spectre.Console.Rendering.IRenderable view)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        console.Write(view);
        return writer.ToString();
    }

    private static RedisResource Converging() => new()
    {
        Metadata = new ObjectMeta { Namespace = "default", Name = "shop" },
        Status = new RedisStatus
        {
            Phase = Phases.Provisioning,
            Nodes =
            [
                new NodeStatus { Name = "redis-0", Role = "master", Zone = "gland", Address = "127.1.0.1:6379", Health = "ok" },
                new NodeStatus { Name = "redis-1", Role = "replica", Zone = "lucerne", Address = "127.1.0.2:6379", Health = "syncing" },
            ],
            SentinelNodes = [new SentinelStatus { Name = "sentinel-0", Zone = "geneve", Address = "127.1.0.3:26379", Health = "down" }],
            Conditions = [new StatusCondition { Type = "Ready", Status = "False", Reason = "NotReady", Message = "converging" }],
        },
    };
}
