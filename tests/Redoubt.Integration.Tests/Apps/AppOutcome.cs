namespace Redoubt.Integration.Tests.Apps;

/// <summary>One line of the table the example apps' test prints: what an app did and what survived.</summary>
internal sealed record AppOutcome(string App, long Operations, long FailedAttemptsRetried, long Lost, string Note)
{
    public const string Header = "app            operations  failed-retried  lost  note";

    public override string ToString() => $"{App,-14} {Operations,10}  {FailedAttemptsRetried,14}  {Lost,4}  {Note}";
}
