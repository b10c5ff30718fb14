using System.Security.Cryptography;
using System.Text;
using Redoubt.Core;

namespace Redoubt.Web;

/// <summary>
/// The token the dashboard and its API ask for, kept in the home (mode 0600) so a bookmarked address survives a
/// restart of the control plane. Compared in constant time.
/// </summary>
public sealed class WebToken
{
    public const string FileName = "web-token";

    /// <summary>The shortest token taken from a file: 32 characters (the ones made here have 48).</summary>
    public const int MinimumLength = 32;

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
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= MinimumLength } existing)
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

    /// <summary>
    /// A token someone else made, from a file (the operator's, a mounted Secret), without the line end an editor or
    /// <c>kubectl create secret --from-file</c> leaves. Errors name the file, never what is in it.
    /// </summary>
    public static WebToken ReadFrom(string path)
    {
        string value;
        try
        {
            value = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RedoubtException($"the token file {path} does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RedoubtException($"the token file {path} cannot be read: {e.Message}", e);
        }

        return value.Length >= MinimumLength
            ? new WebToken(value)
            : throw new RedoubtException($"the token in {path} has {value.Length} characters, fewer than {MinimumLength}: a token that short could be guessed");
    }

    /// <summary>For the operator without a token file: a token for this process only.</summary>
    public static WebToken Ephemeral() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _bytes);
}
