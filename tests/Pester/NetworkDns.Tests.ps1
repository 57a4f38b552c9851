#Requires -Version 7.6
# DNS on networks: aardvark-dns answers container names and aliases (late joiners and renamed containers
# included), forwards other names to the network's DNS server, and nothing of it is left once the containers
# and the network are gone. The only outside resolver is a tiny one this file starts on 127.0.0.1; queries
# come from the containers started here.

BeforeAll {
    $ErrorActionPreference = 'Stop'
    $ProgressPreference = 'SilentlyContinue'
    $ConfirmPreference = 'None'
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $aardvark = '/usr/lib/podman/aardvark-dns', '/usr/libexec/podman/aardvark-dns' | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
    if (-not $aardvark) { throw 'aardvark-dns is missing: apt-get install aardvark-dns.' }
    $script:Root = Initialize-TestStore
    $script:RunRoot = (Get-ContainerEngine).RunRoot
    $script:DnsDir = Join-Path $script:RunRoot 'aardvark-dns'

    # A network on a free 10.214.x.0/24.
    function New-TestNetwork([string] $Name, [string[]] $DnsServer) {
        $extra = if ($DnsServer) { @{ DnsServer = $DnsServer } } else { @{} }
        for ($try = 0; $try -lt 10; $try++) {
            $subnet = "10.214.$(Get-Random -Minimum 0 -Maximum 256).0/24"
            try { return New-Network -Name $Name -Subnet $subnet @extra }
            catch { if ($_.FullyQualifiedErrorId -notlike 'SubnetInUse*') { throw } }
        }
        throw 'No free 10.214.x.0/24 subnet found.'
    }

    # busybox nslookup's output for a name, retried while the server is still coming up.
    function Resolve-InContainer([string] $Container, [string] $Name, [string] $Expect) {
        $output = ''
        Wait-Condition -TimeoutSeconds 15 -Message "$Name to resolve in $Container (last answer: $output)" -Condition {
            $script:output = (Invoke-ContainerCommand $Container -- sh -c "nslookup $Name 2>&1; true") -join "`n"
            $script:output -match $Expect
        }
        $script:output
    }

    function Get-DnsServerProcess {
        foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction Ignore | Where-Object Name -Match '^\d+$') {
            try {
                $cmdline = [IO.File]::ReadAllText("$($dir.FullName)/cmdline")
                if ($cmdline.Contains('aardvark-dns') -and $cmdline.Contains($script:DnsDir)) { [int] $dir.Name }
            } catch { }
        }
    }
}

AfterAll {
    if ($script:Root) { Remove-TestStore -Root $script:Root }
    if ($script:Upstream) {
        $script:Upstream.Close()
        $script:UpstreamRunspace.Stop()
        $script:UpstreamRunspace.Dispose()
    }
}

Describe 'DNS on a user network' {
    BeforeAll {
        $script:Net = New-TestNetwork psc-dns-app
        New-Container busybox:latest -Name alpha -Network psc-dns-app -NetworkAlias db -- sleep 600 | Start-Container
    }

    It 'points resolv.conf at the network''s gateway' {
        Invoke-ContainerCommand alpha -- cat /etc/resolv.conf | Should -Contain "nameserver $($script:Net.Gateway)"
    }

    It 'resolves a container that joins later, and an alias of one that was there' {
        New-Container busybox:latest -Name beta -Network psc-dns-app -- sleep 600 | Start-Container
        $beta = (Get-Container beta).IPAddress
        Resolve-InContainer alpha beta ([regex]::Escape("Address: $beta")) | Should -Match ([regex]::Escape($beta))
        $alpha = (Get-Container alpha).IPAddress
        Resolve-InContainer beta db ([regex]::Escape("Address: $alpha")) | Should -Match ([regex]::Escape($alpha))
    }

    It 'resolves a renamed container by its new name only' {
        $ip = (Get-Container beta).IPAddress
        Rename-Container beta gamma
        Resolve-InContainer alpha gamma ([regex]::Escape("Address: $ip")) | Should -Match ([regex]::Escape($ip))
        (Invoke-ContainerCommand alpha -- sh -c 'nslookup beta 2>&1; true') -join "`n" | Should -Not -Match ([regex]::Escape("Address: $ip"))
    }

    It 'resolves a container connected while running' {
        New-TestNetwork psc-dns-other | Out-Null
        New-Container busybox:latest -Name epsilon -Network psc-dns-other -- sleep 600 | Start-Container
        Connect-Network psc-dns-app epsilon -NetworkAlias late
        $ip = ((Get-Container epsilon).Networks | Where-Object Network -eq psc-dns-app).IPAddress
        Resolve-InContainer alpha late ([regex]::Escape("Address: $ip")) | Should -Match ([regex]::Escape($ip))
    }
}

Describe 'Forwarding names the network does not know' {
    BeforeAll {
        # A tiny DNS server on 127.0.0.1:53 answering every A question with 192.0.2.77 (TEST-NET-1).
        $script:Upstream = [Net.Sockets.UdpClient]::new([Net.IPEndPoint]::new([Net.IPAddress]::Loopback, 53))
        $script:UpstreamRunspace = [powershell]::Create().AddScript({
                param($udp)
                while ($true) {
                    $from = [Net.IPEndPoint]::new([Net.IPAddress]::Any, 0)
                    try { $query = $udp.Receive([ref] $from) } catch { return }
                    $end = 12
                    while ($query[$end] -ne 0) { $end += $query[$end] + 1 }
                    $question = $query[12..($end + 4)]
                    $isA = $query[$end + 1] -eq 0 -and $query[$end + 2] -eq 1
                    $answer = [byte[]] @(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 77)
                    $header = [byte[]] @($query[0], $query[1], 0x81, 0x80, 0, 1, 0, $(if ($isA) { 1 } else { 0 }), 0, 0, 0, 0)
                    $reply = [byte[]] ($header + $question + $(if ($isA) { $answer } else { @() }))
                    [void] $udp.Send($reply, $reply.Length, $from)
                }
            }).AddArgument($script:Upstream)
        $null = $script:UpstreamRunspace.BeginInvoke()
        New-TestNetwork psc-dns-fwd -DnsServer 127.0.0.1 | Out-Null
        New-Container busybox:latest -Name fwd -Network psc-dns-fwd -- sleep 600 | Start-Container
    }

    It 'asks the network''s DNS server for other names' {
        Resolve-InContainer fwd upstream.pscontainer.test '192\.0\.2\.77' | Should -Match 'Address: 192\.0\.2\.77'
    }
}

Describe 'DNS teardown' {
    It 'leaves no DNS process, configuration or rule once the containers and networks are gone' {
        $subnets = @(Get-Network | Where-Object { -not $_.IsDefault } | ForEach-Object { ($_.Subnet -split '\.')[0..2] -join '.' })
        Get-DnsServerProcess | Should -Not -BeNullOrEmpty -Because 'the server ran while containers were up'
        Get-Container -All | Remove-Container -Force
        Get-Network | Where-Object { -not $_.IsDefault } | Remove-Network
        Wait-Condition -TimeoutSeconds 10 -Message 'aardvark-dns to exit' -Condition { -not (Get-DnsServerProcess) }
        @(Get-ChildItem -LiteralPath $script:DnsDir -Force -ErrorAction Ignore) | Should -BeNullOrEmpty
        $rules = @(& iptables-save | Where-Object { $line = $_; $subnets | Where-Object { $line.Contains($_ + '.') } })
        $rules | Should -BeNullOrEmpty
    }
}
