-- every strength score (for the histogram)
select strength from relationships where strength is not null
