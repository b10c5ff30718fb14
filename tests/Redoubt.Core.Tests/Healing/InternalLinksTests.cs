using Redoubt.Core.Access;
using Redoubt.Core.Healing;

namespace Redoubt.Core.Tests.Healing;

/// <summary>Which links a limited application user must drop: those replicas and Sentinels opened as that user.</summary>
public sealed class InternalLinksTests
{
    private const string ClientList =
        "id=3 addr=127.0.1.2:5001 laddr=127.0.1.1:7000 fd=8 name= age=9 idle=0 flags=S db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1800 events=r cmd=replconf user=default redir=-1 resp=2\n" +
        "id=4 addr=127.0.1.3:5002 laddr=127.0.1.1:7000 fd=9 name= age=9 idle=0 flags=S db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1800 events=r cmd=replconf user=redoubt-replication redir=-1 resp=2\n" +
        "id=5 addr=127.0.1.1:5003 laddr=127.0.1.1:7000 fd=10 name=sentinel-1a2b3c4d-cmd age=9 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1800 events=r cmd=ping user=default redir=-1 resp=2\n" +
        "id=6 addr=127.0.1.1:5004 laddr=127.0.1.1:7000 fd=11 name=sentinel-1a2b3c4d-pubsub age=9 idle=0 flags=P db=0 sub=1 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1800 events=r cmd=subscribe user=redoubt-sentinel redir=-1 resp=2\n" +
        "id=7 addr=10.0.0.9:40000 laddr=127.0.1.1:7000 fd=12 name=orders-api age=9 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1800 events=r cmd=get user=default redir=-1 resp=2\n";

    [Fact]
    public void ReplicaAndSentinelLinksAsTheApplicationUserAreChosenAndApplicationsLeftAlone() =>
        Assert.Equal(["3", "5"], HealExecutor.InternalLinksAs(AclUsers.Application, ClientList));
}
