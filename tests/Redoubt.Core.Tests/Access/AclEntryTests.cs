using Redoubt.Core.Access;

namespace Redoubt.Core.Tests.Access;

public sealed class AclEntryTests
{
    [Fact]
    public void ALineOfAclListIsReadIntoItsParts()
    {
        var entry = AclEntry.Parse("user default on sanitize-payload #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 ~* &* +@all -@admin -restore-asking -migrate +role");

        Assert.NotNull(entry);
        Assert.Equal("default", entry.Name);
        Assert.True(entry.Enabled);
        Assert.False(entry.NoPass);
        Assert.Equal(["5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"], entry.PasswordHashes);
        Assert.Equal("~* &* +@all -@admin +role -migrate -restore-asking", entry.Rules);
    }

    [Fact]
    public void SingleCommandsCompareInAnyOrderButCategoriesKeepTheirs()
    {
        // Two Redis processes listed the same user so.
        var one = AclEntry.Parse("user s on resetchannels &__sentinel__:hello -@all +slaveof +replicaof +multi +ping +exec +info");
        var other = AclEntry.Parse("user s on resetchannels &__sentinel__:hello -@all +ping +multi +replicaof +exec +info +slaveof");

        Assert.Equal(one!.Rules, other!.Rules);
        Assert.NotEqual(AclEntry.Normalise("+@all -@admin"), AclEntry.Normalise("-@admin +@all"));
    }

    [Fact]
    public void ADisabledPasswordlessUserIsSeenAsSuch()
    {
        var entry = AclEntry.Parse("user guest off nopass resetchannels -@all");

        Assert.NotNull(entry);
        Assert.False(entry.Enabled);
        Assert.True(entry.NoPass);
        Assert.Empty(entry.PasswordHashes);
        Assert.Equal("resetchannels -@all", entry.Rules);
    }

    [Theory]
    [InlineData("")]
    [InlineData("user")]
    [InlineData("not a user line")]
    public void WhatIsNotAUserLineIsNoEntry(string line) => Assert.Null(AclEntry.Parse(line));

    [Fact]
    public void TheSetUserArgumentsResetEverythingFirst()
    {
        var user = new AclUser("redoubt-replication", "abc", AclUsers.ReplicationRules);

        Assert.Equal(["reset", "on", "#abc", "resetchannels", "-@all", "+psync", "+ping", "+replconf"], user.SetUserArguments());
    }
}
