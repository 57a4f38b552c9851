# Helpers every benchmark script shares.
Set-StrictMode -Version Latest

function Get-Median([double[]] $Values) {
    <# The median of the values (the mean of the middle two for an even count). #>
    $sorted = [double[]] ($Values | Sort-Object)
    $mid = [int] [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$mid] }
    return ($sorted[$mid - 1] + $sorted[$mid]) / 2
}

function Invoke-Native([string] $File, [string[]] $Arguments) {
    <# Runs a program; returns its output, throws with that output when it exits non-zero. #>
    $output = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join "`n")" }
    return $output
}

Export-ModuleMember -Function Get-Median, Invoke-Native
