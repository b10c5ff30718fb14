namespace Redoubt.Integration.Tests;
