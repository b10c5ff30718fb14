// What one example app saw while it ran: the figures it prints, and the end-to-end test's table.
namespace Redoubt.Examples.Shared;

public sealed record AppRun(string App, long Operations, long FailedAttempts, string Detail)
{
    public override string ToString() => $"{App}: {Operations} operations, {FailedAttempts} failed attempts retried; {Detail}";
}
