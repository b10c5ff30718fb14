using Redoubt.Core.Planning;

namespace Redoubt.Core.Tests.Planning;

public sealed class ContentHashTests
{
    [Fact]
    public void HashesDoNotChangeAcrossReleases()
    {
        // Revisions on disk and template hashes on pods were written with this value; a different one restarts every node.
        Assert.Equal("59b271ae1bbcb1d3", ContentHash.Of("a", "b"));
    }

    [Fact]
    public void PartsAreNotConfusedWithTheirConcatenation()
    {
        Assert.NotEqual(ContentHash.Of("ab", "c"), ContentHash.Of("a", "bc"));
        Assert.NotEqual(ContentHash.Of("abc"), ContentHash.Of("ab", "c"));
    }
}
