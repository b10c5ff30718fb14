using System.Globalization;
using System.Text;

namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>What one client saw of one fault.</summary>
/// <param name="GapMs">The longest interval between two consecutive acknowledged writes from 1 s before the fault to the end of its part of the run.</param>
/// <param name="GapFromMs">When that gap began, in ms from the fault (negative: before it).</param>
/// <param name="Acknowledged">Writes acknowledged in the fault's part of the run: the kill's from the start until the switchover began, the switchover's from then on.</param>
/// <param name="Lost">Of those, how many are missing on the final master, or hold another value.</param>
/// <param name="Failures">Failed attempts the writer reported in the gap's window.</param>
/// <param name="LastError">The last of those failures, as the writer reported it.</param>
/// <param name="LostWrites">The first lost writes, each with when it was acknowledged relative to the fault: a write acknowledged just before a kill -9 that never reached a replica reads differently from one acknowledged after it.</param>
internal sealed record ClientFaultResult(string Client, string Fault, long GapMs, long GapFromMs, int Acknowledged, int Lost, int Failures, string? LastError, IReadOnlyList<(long N, long AtMs)> LostWrites)
{
    public static string Table(IEnumerable<ClientFaultResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"client",-20} {"fault",-10} {"gap ms",7} {"acknowledged",12} {"lost",5} {"failed",7}  gap began");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Client,-20} {r.Fault,-10} {r.GapMs,7} {r.Acknowledged,12} {r.Lost,5} {r.Failures,7}  {r.GapFromMs:+0;-0} ms from the fault");
        }

        return text.ToString();
    }

    /// <summary>What went wrong, one line per client and fault over the limit or with losses; empty when nothing did.</summary>
    public static string Trouble(IEnumerable<ClientFaultResult> results, long gapLimitMs)
    {
        var text = new StringBuilder();
        foreach (var r in results.Where(r => r.GapMs > gapLimitMs || r.Lost > 0))
        {
            var lost = r.Lost == 0 ? "" : $"; lost {string.Join(", ", r.LostWrites.Select(w => $"n={w.N} (acknowledged {w.AtMs:+0;-0} ms from the fault)"))}{(r.Lost > r.LostWrites.Count ? ", …" : "")}";
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Client} {r.Fault}: {r.Failures} failed attempts, last error: {r.LastError ?? "none"}{lost}");
        }

        return text.ToString();
    }

    /// <summary>One line naming every measured figure, for a failure message.</summary>
    public static string Summary(IEnumerable<ClientFaultResult> results) =>
        string.Join("; ", results.Select(r => $"{r.Client} {r.Fault}: gap {r.GapMs} ms, lost {r.Lost} of {r.Acknowledged}"));
}
