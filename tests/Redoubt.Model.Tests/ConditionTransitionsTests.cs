namespace Redoubt.Model.Tests;

public sealed class ConditionTransitionsTests
{
    private static readonly DateTimeOffset Earlier = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Earlier.AddMinutes(5);

    private static readonly StatusCondition ReadySince = new() { Type = "Ready", Status = "True", Reason = "AllHealthy", Message = "old", LastTransitionTime = Earlier };

    [Fact]
    public void TheTransitionTimeStaysWhileTheStatusDoesNotChange()
    {
        var next = ConditionTransitions.Next(ReadySince, "Ready", "True", "AllHealthy", "new message", Now);

        Assert.Equal(Earlier, next.LastTransitionTime);
        Assert.Equal("new message", next.Message);
    }

    [Fact]
    public void TheTransitionTimeMovesWhenTheStatusChangesOrTheConditionIsNew()
    {
        Assert.Equal(Now, ConditionTransitions.Next(ReadySince, "Ready", "False", "NotReady", "converging", Now).LastTransitionTime);
        Assert.Equal(Now, ConditionTransitions.Next(null, "Ready", "True", "AllHealthy", "", Now).LastTransitionTime);
    }

    [Fact]
    public void SettingAConditionReplacesTheOneOfItsTypeAndKeepsTheOthers()
    {
        var paused = new StatusCondition { Type = "Paused", Status = "True", LastTransitionTime = Earlier };

        var conditions = ConditionTransitions.Set([ReadySince, paused], "Ready", "False", "NotReady", "converging", Now);

        Assert.Equal(["Paused", "Ready"], conditions.Select(c => c.Type));
        Assert.Equal("False", conditions.Single(c => c.Type == "Ready").Status);
        Assert.Same(paused, conditions[0]);
    }
}
