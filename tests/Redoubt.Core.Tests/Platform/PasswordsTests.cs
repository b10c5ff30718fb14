using Redoubt.Core.Platform;

namespace Redoubt.Core.Tests.Platform;

public sealed class PasswordsTests
{
    [Fact]
    public void APasswordIsThirtyTwoAlphanumericsAndNeverTheSameTwice()
    {
        var passwords = Enumerable.Range(0, 100).Select(_ => Passwords.Generate()).ToList();

        Assert.All(passwords, p => Assert.Matches("^[A-Za-z0-9]{32}$", p));
        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
    }
}
