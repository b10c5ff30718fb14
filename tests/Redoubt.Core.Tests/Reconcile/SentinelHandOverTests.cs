using Redoubt.Core.Healing;
using Redoubt.Core.Reconcile;
using Redoubt.Core.Tests.Fixtures;

namespace Redoubt.Core.Tests.Reconcile;

/// <summary>Sentinels are re-pointed at a new master (at epoch 0) only when none is left holding the old one at a higher epoch.</summary>
public sealed class SentinelHandOverTests
{
    private static readonly SentinelView Old = new("127.0.0.1:7000", "master");

    [Fact]
    public void EverySentinelAnsweringMayBeHandedOver()
    {
        Assert.True(SentinelHandOver.IsSafe(TestPlans.Of(replicas: 3), [Old, Old, Old], [true, true, true]));
    }

    [Fact]
    public void ASentinelThatDoesNotAnswerWouldSendTheOthersBackSoNobodyIsHandedOver()
    {
        Assert.False(SentinelHandOver.IsSafe(TestPlans.Of(replicas: 3), [Old, null, Old], [true, null, true]));
        Assert.False(SentinelHandOver.IsSafe(TestPlans.Of(replicas: 3), [Old, Old], [true, true]));
    }

    [Fact]
    public void ALinkBetweenSentinelsThatIsStillRecoveringMayDeliverAnOldHelloSoNobodyIsHandedOver()
    {
        Assert.False(SentinelHandOver.IsSafe(TestPlans.Of(replicas: 3), [Old, Old, Old], [true, false, true]));
    }
}
