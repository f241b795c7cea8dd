"""请销假: leave requests, their approval chain, cover, effect on attendance and closure (issue 10)."""
