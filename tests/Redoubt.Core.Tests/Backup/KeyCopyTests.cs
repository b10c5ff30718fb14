using Redoubt.Core.Backup;

namespace Redoubt.Core.Tests.Backup;

public sealed class KeyCopyTests
{
    [Fact]
    public void KeyspaceListsEveryDatabaseWithKeys()
    {
        const string info = "# Keyspace\r\ndb0:keys=321,expires=20,avg_ttl=599000\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n";

        Assert.Equal([(0, 321L), (3, 1L)], KeyCopy.Keyspace(info));
    }

    [Fact]
    public void AnEmptyServerHasNoDatabases()
    {
        Assert.Empty(KeyCopy.Keyspace("# Keyspace\r\n"));
    }
}
