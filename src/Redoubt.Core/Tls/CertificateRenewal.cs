using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Redoubt.Core.Tls;

/// <summary>
/// When a node's certificate must be issued again: there is none, it is within <see cref="RenewBefore"/> of its end,
/// it was not signed by the resource's CA, or it no longer names every address of the node. Pure, so a fake clock
/// tests it; the platforms write the new files and Redoubt makes the running node load them.
/// </summary>
public static class CertificateRenewal
{
    /// <summary>A year-long certificate is renewed with a month to spare: a control plane down for weeks still renews in time.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <returns>Why the certificate must be issued again, or null when it is good.</returns>
    public static string? WhyRenew(X509Certificate2? current, X509Certificate2 authority, NodeIdentity wanted, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(wanted);
        if (current is null)
        {
            return "no certificate yet";
        }

        if (current.NotAfter.ToUniversalTime() - RenewBefore <= now.UtcDateTime)
        {
            return $"it expires {current.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, within {RenewBefore.TotalDays:F0} days";
        }

        if (current.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            return "it is not valid yet (the clock moved back)";
        }

        if (!IssuedBy(current, authority))
        {
            return "it was not issued by the resource's CA";
        }

        var names = SubjectAlternativeNames(current);
        var missing = wanted.DnsNames.Where(d => !names.Dns.Contains(d, StringComparer.OrdinalIgnoreCase))
            .Concat(wanted.Addresses.Where(a => !names.Ips.Contains(a)).Select(a => a.ToString())).ToList();
        return missing.Count > 0 ? $"it does not name {string.Join(", ", missing)}" : null;
    }

    public static (IReadOnlyList<string> Dns, IReadOnlyList<IPAddress> Ips) SubjectAlternativeNames(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return extension is null ? ([], []) : ([.. extension.EnumerateDnsNames()], [.. extension.EnumerateIPAddresses()]);
    }

    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Only the signature is in question here; validity is judged above against the injected clock.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate);
    }
}
