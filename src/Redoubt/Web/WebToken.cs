using System.Security.Cryptography;
using System.Text;

namespace Redoubt.Web;

/// <summary>
/// The token the dashboard and its API ask for, kept in the home (mode 0600) so a bookmarked address survives a
/// restart of the control plane. Compared in constant time.
/// </summary>
public sealed class WebToken
{
    public const string FileName = "web-token";

    private readonly byte[] _bytes;

    private WebToken(string value)
    {
        Value = value;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The secret itself: printed only where the user asked for it (`up`, `serve`), never logged.</summary>
    public string Value { get; }

    public static WebToken LoadOrCreate(string home)
    {
        var path = Path.Combine(home, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 32 } existing)
        {
            return new WebToken(existing);
        }

        var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(Encoding.UTF8.GetBytes(value));
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new WebToken(value);
    }

    /// <summary>For the operator, which has no home: a token for this process only.</summary>
    public static WebToken Ephemeral() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _bytes);
}
