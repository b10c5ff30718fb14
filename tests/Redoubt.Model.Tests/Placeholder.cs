namespace Redoubt.Model.Tests;
