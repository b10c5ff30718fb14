using System.Text.Json;

namespace Redoubt.Core.Access;

/// <summary>
/// How platforms store a rotation beside the application password (a file of mode 0600, a Secret key): the last
/// request carried out and the retiring password with the end of its grace, as one small JSON document, so that they
/// change together. It holds a password in clear while one is retiring: store it like the password itself.
/// </summary>
public static class RotationRecord
{
    private sealed record Document(string? Request, string? Retiring, DateTimeOffset? Until);

    public static string Write(StoredApplicationPassword stored) =>
        JsonSerializer.Serialize(new Document(stored.Handled, stored.Retiring?.Password, stored.Retiring?.Until)) + "\n";

    /// <summary>The stored state around <paramref name="password"/>; nothing handled and nothing retiring when there is no record, or an unreadable one.</summary>
    public static StoredApplicationPassword Read(string password, string? text)
    {
        Document? document = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                document = JsonSerializer.Deserialize<Document>(text);
            }
            catch (JsonException)
            {
                // Damaged by hand: the next request rotates, and nothing retiring is kept that nobody can read.
            }
        }

        return new StoredApplicationPassword(
            password,
            document?.Request,
            document is { Retiring: { Length: > 0 } retiring, Until: { } until } ? new RetiringPassword(retiring, until) : null);
    }
}
