using Redoubt.Core.Access;
using Redoubt.Core.Reconcile;
using Redoubt.Model;

namespace Redoubt.Core.Tests.Reconcile;

public sealed class RotationEventsTests
{
    private static readonly RedoubtPasswords Own = new("admin", "replication", "sentinel");
    private static readonly DateTimeOffset Until = new(2025, 1, 1, 12, 10, 0, TimeSpan.Zero);

    [Fact]
    public void ARotationIsAnEventThatSaysUntilWhenTheOldPasswordWorksAndNeitherPassword()
    {
        var before = new ResourceSecrets("oldPassword1", Own);
        var after = new ResourceSecrets("newPassword2", Own) { RotationRequest = "r1", Retiring = new RetiringPassword("oldPassword1", Until) };

        var (reason, message) = Assert.Single(RotationEvents.Between(before, after));

        Assert.Equal("PasswordRotated", reason);
        Assert.Contains("2025-01-01 12:10:00Z", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password1", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password2", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEndOfTheGraceIsAnEventAndNothingElseIs()
    {
        var rotating = new ResourceSecrets("newPassword2", Own) { RotationRequest = "r1", Retiring = new RetiringPassword("oldPassword1", Until) };

        Assert.Equal("OldPasswordRetired", Assert.Single(RotationEvents.Between(rotating, rotating with { Retiring = null })).Reason);
        Assert.Empty(RotationEvents.Between(rotating, rotating));
        Assert.Empty(RotationEvents.Between(rotating with { Retiring = null }, rotating with { Retiring = null }));
    }

    [Fact]
    public void ABadGraceAnnotationRefusesTheRotationAndSaysWhatIsAllowed()
    {
        var resource = new RedisResource { Metadata = { Name = "t" }, Spec = new RedisSpec() };
        resource.Metadata.Annotations[ResourceAnnotations.PasswordRotatedAt] = "now";
        resource.Metadata.Annotations[ResourceAnnotations.PasswordGrace] = "ten minutes";
        var plan = Redoubt.Core.Planning.Planner.Plan(resource);

        Assert.Null(plan.PasswordRotation);
        var refusal = RotationEvents.Refusal(plan, new ResourceSecrets("password", Own));
        Assert.Contains(ResourceAnnotations.PasswordGrace, refusal, StringComparison.Ordinal);
        Assert.Contains("30s, 10m", refusal, StringComparison.Ordinal);
        Assert.Contains("\"ten minutes\"", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("0s", 0)]
    [InlineData("24h", 86400)]
    public void GracePeriodsAreHoursMinutesAndSeconds(string text, int seconds)
    {
        Assert.True(ResourceAnnotations.TryParseGrace(text, out var grace));
        Assert.Equal(TimeSpan.FromSeconds(seconds), grace);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("-1m")]
    [InlineData("1.5h")]
    [InlineData("25h")]
    [InlineData("30s10m")]
    [InlineData("10 m")]
    public void OtherGracePeriodsAreRefused(string text)
    {
        Assert.False(ResourceAnnotations.TryParseGrace(text, out _));
    }

    [Fact]
    public void WithoutAGraceAnnotationTheGraceIsTenMinutes()
    {
        var resource = new RedisResource { Metadata = { Name = "t" }, Spec = new RedisSpec() };
        resource.Metadata.Annotations[ResourceAnnotations.PasswordRotatedAt] = "now";

        Assert.Equal(new RotationRequest("now", TimeSpan.FromMinutes(10)), Redoubt.Core.Planning.Planner.Plan(resource).PasswordRotation);
    }
}
