// The shareable preview link is selected in one click, ready to copy.
document.addEventListener("click", (event) => {
  if (event.target.matches("#share-preview input")) event.target.select();
});
