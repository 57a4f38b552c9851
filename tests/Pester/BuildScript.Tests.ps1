#Requires -Version 7.6
# The build script's verdict: a failing xunit test or a failing Pester test makes `build.ps1 UnitTest`/`PesterTest`
# exit non-zero, so CI turns red. Each case plants one failure and runs only that, without rebuilding.

BeforeAll {
    $script:Build = Join-Path $PSScriptRoot '../../build.ps1'
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    # The cases run the unit tests with -NoBuild (no build per case): build them once here.
    & dotnet build (Join-Path $PSScriptRoot '../Unit/PSContainer.Tests.csproj') -c Release --nologo -v q | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Building the unit tests failed with exit code $LASTEXITCODE." }

    # Runs build.ps1 in a child pwsh; returns its exit code and output lines.
    function Invoke-BuildScript([string[]] $Arguments) {
        $lines = & $script:Pwsh -NoProfile -NonInteractive -File $script:Build @Arguments 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $lines }
    }
}

Describe 'build.ps1 UnitTest' {
    AfterEach { Remove-Item Env:PSCONTAINER_PLANT_FAILURE -ErrorAction Ignore }

    It 'exits non-zero when an xunit test fails' {
        $env:PSCONTAINER_PLANT_FAILURE = '1'
        $run = Invoke-BuildScript @('UnitTest', '-NoBuild', '-UnitFilter', 'FullyQualifiedName~PlantedFailureTests')
        $run.Output | Should -Contain 'xunit: 0 passed, 1 failed'
        $run.ExitCode | Should -Not -Be 0
    }

    It 'exits zero when the same test passes' {
        $run = Invoke-BuildScript @('UnitTest', '-NoBuild', '-UnitFilter', 'FullyQualifiedName~PlantedFailureTests')
        $run.Output | Should -Contain 'xunit: 1 passed, 0 failed'
        $run.ExitCode | Should -Be 0
    }
}

Describe 'build.ps1 PesterTest' {
    It 'exits non-zero when a Pester test fails' {
        $file = Join-Path $TestDrive 'Planted.Tests.ps1'
        Set-Content -LiteralPath $file -Value @'
Describe 'planted' {
    It 'passes' { 1 | Should -Be 1 }
    It 'fails' { 1 | Should -Be 2 }
}
'@
        $run = Invoke-BuildScript @('PesterTest', '-NoBuild', '-PesterFile', $file)
        $run.Output | Should -Contain 'pester: 1 passed, 1 failed'
        $run.ExitCode | Should -Not -Be 0
    }
}
